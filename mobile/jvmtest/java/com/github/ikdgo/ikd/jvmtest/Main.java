// The JVM round trip of the gomobile binding (.ci/mobile): a wallet whose
// device key is a java.security P-256 key, as Android Keystore's would be,
// makes codes from Java, and the scanner binding verifies them from Java.
// It prints one line per check and "N passed, M failed" at the end, and
// exits 1 if any check failed.
package com.github.ikdgo.ikd.jvmtest;

import com.github.ikdgo.ikd.fixture.Fixture;
import com.github.ikdgo.ikd.fixture.Office;
import com.github.ikdgo.ikd.mobile.Claim;
import com.github.ikdgo.ikd.mobile.Claims;
import com.github.ikdgo.ikd.mobile.Code;
import com.github.ikdgo.ikd.mobile.Credential;
import com.github.ikdgo.ikd.mobile.DeviceSigner;
import com.github.ikdgo.ikd.mobile.Frames;
import com.github.ikdgo.ikd.mobile.Mobile;
import com.github.ikdgo.ikd.mobile.Policy;
import com.github.ikdgo.ikd.mobile.Request;
import com.github.ikdgo.ikd.mobile.Result;
import com.github.ikdgo.ikd.mobile.Scanner;
import com.github.ikdgo.ikd.mobile.Wallet;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

public final class Main {
	private static int passed, failed;

	private static void check(String name, boolean ok, String detail) {
		if (ok) {
			passed++;
			System.out.println("ok   " + name);
		} else {
			failed++;
			System.out.println("FAIL " + name + ": " + detail);
		}
	}

	private interface Call {
		void run() throws Exception;
	}

	/** expectError checks that call throws an exception whose message starts with "mobile: " + code + ":". */
	private static void expectError(String name, String code, Call call) {
		try {
			call.run();
			check(name, false, "no exception");
		} catch (Exception e) {
			String msg = String.valueOf(e.getMessage());
			check(name, msg.startsWith("mobile: " + code + ":"), "message: " + msg);
		}
	}

	/** A device signer over a java.security key: what a Keystore-backed signer does. */
	static final class JavaSigner implements DeviceSigner {
		private final KeyPair publicPair, signingPair;
		private final String algorithm;
		final AtomicInteger calls = new AtomicInteger();

		JavaSigner(KeyPair pair, String algorithm) {
			this(pair, pair, algorithm);
		}

		/** A signer whose public key is publicPair's and whose signatures are signingPair's. */
		JavaSigner(KeyPair publicPair, KeyPair signingPair, String algorithm) {
			this.publicPair = publicPair;
			this.signingPair = signingPair;
			this.algorithm = algorithm;
		}

		@Override
		public byte[] publicKey() {
			return publicPair.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo, as Android Keystore gives it
		}

		@Override
		public byte[] sign(byte[] message) throws Exception {
			calls.incrementAndGet();
			// A Signature object is not thread-safe: one per call.
			Signature s = Signature.getInstance(algorithm);
			s.initSign(signingPair.getPrivate());
			s.update(message);
			return s.sign();
		}
	}

	static KeyPair p256() throws Exception {
		KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
		g.initialize(new ECGenParameterSpec("secp256r1"));
		return g.generateKeyPair();
	}

	static Policy policy(String name, String ticketName, String ticketNIK) {
		Policy p = new Policy();
		p.setName(name);
		p.setTicketName(ticketName);
		p.setTicketNIK(ticketNIK);
		return p;
	}

	/** frame draws the code's PNG on a light gray frame of width × height pixels whose rows are stride bytes apart. */
	static byte[] frame(byte[] png, int width, int height, int stride) throws Exception {
		BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
		byte[] out = new byte[stride * height];
		java.util.Arrays.fill(out, (byte) 0xd0); // a light background, not pure white
		int ox = 40, oy = 30;
		for (int y = 0; y < img.getHeight() && oy + y < height; y++) {
			for (int x = 0; x < img.getWidth() && ox + x < width; x++) {
				int rgb = img.getRGB(x, y);
				out[(oy + y) * stride + ox + x] = (byte) (rgb & 0xff);
			}
		}
		return out;
	}

	public static void main(String[] args) throws Exception {
		Office office = Fixture.newOffice();
		byte[] root = office.rootKey();
		byte[] trust = office.trustList(1);

		// Wallet: the device key, and the four credentials issued for it.
		KeyPair device = p256();
		JavaSigner signer = new JavaSigner(device, "SHA256withECDSA"); // DER, like Android Keystore
		Wallet wallet = new Wallet(signer);
		for (String profile : new String[] {"age", "kai", "full", "travel"}) {
			Credential c = wallet.addCredential(office.issue(device.getPublic().getEncoded(), profile));
			check("addCredential " + profile, c.getProfile().equals(profile), c.getProfile());
		}
		check("count", wallet.count() == 4, "" + wallet.count());
		Credential full = wallet.at(0);
		check("list in profile order", full.getProfile().equals("full") && wallet.at(3).getProfile().equals("age"), full.getProfile());
		check("at out of range is null", wallet.at(4) == null && wallet.at(-1) == null, "not null");
		Claim name = full.getClaims().get("name");
		check("credential claim with labels", name != null && name.getIndonesianValue().equals("BUDI SANTOSO")
				&& name.getIndonesianLabel().equals("Nama") && name.getEnglishLabel().equals("Name"), "" + name);
		Claim sex = full.getClaims().get("sex");
		check("enum value in both languages", sex != null && sex.getIndonesianValue().equals("LAKI-LAKI")
				&& sex.getEnglishValue().equals("Male"), sex == null ? "null" : sex.getIndonesianValue() + "/" + sex.getEnglishValue());
		check("issuer and validity", full.getIssuerID().equals("3171") && full.getExpires() > full.getIssuedAt(), full.getIssuerID());
		check("profileFor name,nik", wallet.profileFor("name,nik").equals("kai"), wallet.profileFor("name,nik"));
		check("profileFor travel claims", wallet.profileFor("name, nik, birth_date").equals("travel"), wallet.profileFor("name,nik,birth_date"));
		check("profileFor address", wallet.profileFor("address").equals("full"), wallet.profileFor("address"));

		// Scanner: a KAI gate for Budi's ticket (booked in lower case).
		Scanner kai = Mobile.newScanner(trust, root, policy(Mobile.PolicyKAI, "Budi Santoso", "3171011708850003"));
		kai.addStatusList(office.statusList(false));
		check("requestedClaims", kai.requestedClaims().equals("nik,name"), kai.requestedClaims());

		int before = signer.calls.get();
		Code code = wallet.nextCode(kai.requestedClaims(), Mobile.AudienceKAI);
		check("one signature per code", signer.calls.get() == before + 1, "" + (signer.calls.get() - before));
		check("code text", code.getText().startsWith("IKD1:"), code.getText());
		byte[] png = code.getPNG();
		check("code PNG", png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "" + png.length);
		check("live code lives 60 s, refresh at 30 s", code.getExpires() - code.getIssuedAt() == 60 && code.getRefreshIn() == 30,
				code.getExpires() - code.getIssuedAt() + " / " + code.getRefreshIn());
		check("code profile", code.getProfile().equals("kai"), code.getProfile());

		Result r = kai.verifyText(code.getText());
		check("accepted", r.getAccepted() && r.getReason().isEmpty(), r.getReason());
		Claims claims = r.getClaims();
		check("disclosed claims are the policy's", claims.keys().equals("nik,name"), claims.keys());
		Claim nik = claims.get("nik");
		check("NIK with its label", nik != null && nik.getIndonesianValue().equals("3171011708850003") && nik.getIndonesianLabel().equals("NIK"), "" + nik);
		check("issuer name from the trust list", r.getIssuerName().equals("Disdukcapil Kota Jakarta Pusat"), r.getIssuerName());
		check("audience", r.getAudience().equals("KAI"), r.getAudience());

		Result again = kai.verifyText(code.getText());
		check("same code again is replayed", !again.getAccepted() && again.getReason().equals("replayed"), again.getReason());
		check("refusal messages", !again.getMessageIndonesian().isEmpty() && !again.getMessageEnglish().isEmpty()
				&& again.getClaims().count() == 0, again.getMessageEnglish());
		System.out.println("     replayed: " + again.getMessageIndonesian() + " / " + again.getMessageEnglish());

		// A camera frame: the PNG drawn into a larger gray frame with padded rows.
		Code framed = wallet.nextCode("", Mobile.AudienceKAI);
		int w = 640, h = 480, stride = 704;
		Result fr = kai.verifyFrame(frame(framed.getPNG(), w, h, stride), w, h, stride);
		check("camera frame accepted", fr.getAccepted(), fr.getReason());
		Result empty = kai.verifyFrame(new byte[w * h], w, h, w);
		check("frame without a code", !empty.getAccepted() && empty.getReason().equals("no_code"), empty.getReason());
		// A camera stream: one verdict per showing of a code.
		Frames stream = kai.frames();
		byte[] shown = frame(wallet.nextCode("", Mobile.AudienceKAI).getPNG(), w, h, stride);
		Result first = stream.verifyFrame(shown, w, h, stride);
		Result still = stream.verifyFrame(shown, w, h, stride);
		check("frames: accepted once, then same_code while in view", first.getAccepted() && still.getReason().equals("same_code"),
				first.getReason() + " / " + still.getReason());

		// Another policy sharing the lists: an airline desk.
		Policy desk0 = policy(Mobile.PolicyAirline, "", "");
		desk0.setNoTicket(true); // the operator compares the name with the booking
		Scanner airline = kai.withPolicy(desk0);
		Result wrongGate = airline.verifyText(wallet.nextCode(airline.requestedClaims(), Mobile.AudienceKAI).getText());
		check("KAI code at the airline desk", !wrongGate.getAccepted() && wrongGate.getReason().equals("wrong_audience"), wrongGate.getReason());
		Code boarding = wallet.nextCode(airline.requestedClaims(), Mobile.AudienceAirline);
		Result desk = airline.verifyText(boarding.getText());
		check("airline code accepted, travel profile", desk.getAccepted() && desk.getProfile().equals("travel")
				&& desk.getClaims().get("birth_date") != null, desk.getReason() + " " + desk.getProfile());

		// Share codes.
		Code share = wallet.shareCode("", Mobile.ShareOneHour);
		check("share code lives an hour", share.getExpires() - share.getIssuedAt() == 3600 && share.getRefreshIn() == 1800,
				"" + (share.getExpires() - share.getIssuedAt()));
		Result atGate = kai.verifyText(share.getText());
		check("share code at the gate", !atGate.getAccepted() && atGate.getReason().equals("lifetime_too_long"), atGate.getReason());
		Policy bank = policy(Mobile.PolicyShare, "", "");
		bank.setAllowedClaims("birth_date,address");
		Scanner receiver = kai.withPolicy(bank);
		Result shared = receiver.verifyText(wallet.shareCode("full", Mobile.ShareFiveMinutes).getText());
		check("share receiver with allowed claims", shared.getAccepted() && shared.getClaims().keys().equals("nik,name,birth_date,address"),
				shared.getReason() + " " + shared.getClaims().keys());

		// A share link to send in a message: the receiver verifies the link as text.
		Request linkReq = new Request();
		linkReq.setLifetime(Mobile.ShareFiveMinutes);
		linkReq.setLinkBase("https://verify.example.id/S/");
		Code linked = wallet.code(linkReq);
		check("share link", linked.getLink().startsWith("HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"), linked.getLink());
		Result viaLink = receiver.verifyText(linked.getLink());
		check("share link accepted by the receiver", viaLink.getAccepted(), viaLink.getReason());

		// A Kartu Keluarga for a school: the child's school credential, asked for by document and subject.
		Credential kkCred = wallet.addCredential(office.issueKKSchool(device.getPublic().getEncoded()));
		check("KK credential listed with its child", kkCred.getDocument().equals("kk") && kkCred.getSubject().equals("3171012107140002"),
				kkCred.getDocument() + " " + kkCred.getSubject());
		Request kkReq = new Request();
		kkReq.setDocument("kk");
		kkReq.setClaims("kk_number,kk_head,member_name,member_nik,member_relationship,member_birth_date");
		kkReq.setSubject("3171012107140002");
		kkReq.setLifetime(Mobile.ShareFiveMinutes);
		Scanner school = kai.withPolicy(policy(Mobile.PolicySchool, "", ""));
		Result enrol = school.verifyText(wallet.code(kkReq).getText());
		Claim child = enrol.getClaims().get("member_name");
		check("KK code accepted by the school", enrol.getAccepted() && enrol.getDocument().equals("kk") && enrol.getProfile().equals("kk-school")
				&& child != null && child.getMember() == 1 && child.getIndonesianValue().equals("RIZKY PRATAMA SANTOSO")
				&& child.getIndonesianLabel().equals("Nama Lengkap"), enrol.getReason() + " " + (child == null ? "no member_name" : child.getIndonesianValue()));
		Result kkAtBank = receiver.verifyText(wallet.code(kkReq).getText());
		check("KK code refused by a KTP share receiver", !kkAtBank.getAccepted(), "accepted");

		// Age check: only the flag.
		Scanner age = kai.withPolicy(policy(Mobile.PolicyAge, "", ""));
		Result adult = age.verifyText(wallet.nextCode(age.requestedClaims(), "").getText());
		check("age check", adult.getAccepted() && adult.getClaims().keys().equals("over_17")
				&& adult.getClaims().at(0).getIndonesianValue().equals("YA"), adult.getReason() + " " + adult.getClaims().keys());

		// Raw r‖s signatures (IEEE P1363), as some key stores return them.
		Wallet raw = new Wallet(new JavaSigner(device, "SHA256withECDSAinP1363Format"));
		raw.addCredential(office.issue(device.getPublic().getEncoded(), "kai"));
		Result rawR = kai.verifyText(raw.nextCode("", Mobile.AudienceKAI).getText());
		check("raw r‖s signer accepted", rawR.getAccepted(), rawR.getReason());

		// Scanners are safe for concurrent use: four threads verify while the trust list is replaced.
		final Scanner shareScanner = receiver;
		final AtomicInteger accepted = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		final List<String> threadErrors = java.util.Collections.synchronizedList(new ArrayList<>());
		for (int t = 0; t < 4; t++) {
			Thread th = new Thread(() -> {
				try {
					for (int i = 0; i < 3; i++) {
						if (shareScanner.verifyText(wallet.nextCode("", "").getText()).getAccepted()) {
							accepted.incrementAndGet();
						}
					}
				} catch (Exception e) {
					threadErrors.add(e.toString());
				}
			});
			threads.add(th);
			th.start();
		}
		kai.updateTrustList(office.trustList(2));
		for (Thread th : threads) {
			th.join();
		}
		check("12 concurrent verifications accepted", accepted.get() == 12 && threadErrors.isEmpty(), accepted.get() + " " + threadErrors);

		// Go errors arrive as Java exceptions, with their code.
		expectError("trust list rollback", "rollback", () -> kai.updateTrustList(office.trustList(1)));
		expectError("garbage trust list", "trust_list", () -> Mobile.newScanner("not a JWS".getBytes(StandardCharsets.UTF_8), root, policy(Mobile.PolicyKAI, "BUDI SANTOSO", "")));
		expectError("garbage root key", "malformed", () -> Mobile.newScanner(trust, new byte[] {1, 2, 3}, policy(Mobile.PolicyKAI, "BUDI SANTOSO", "")));
		// A KAI gate needs the ticket: an empty booking field must not open it to anyone's code.
		expectError("kai policy without a ticket", "invalid_argument", () -> Mobile.newScanner(trust, root, policy(Mobile.PolicyKAI, "", "")));
		expectError("kai ticket NIK of 15 digits", "invalid_argument", () -> Mobile.newScanner(trust, root, policy(Mobile.PolicyKAI, "", "317101170885000")));
		Policy nosy = policy(Mobile.PolicyKAI, "BUDI SANTOSO", "");
		nosy.setAllowedClaims("religion,address");
		expectError("allowed claims at a KAI gate", "invalid_argument", () -> kai.withPolicy(nosy));
		expectError("unknown policy", "invalid_argument", () -> Mobile.newScanner(trust, root, policy("bank", "", "")));
		expectError("garbage credential", "malformed", () -> wallet.addCredential(new byte[] {1, 2, 3}));
		KeyPair other = p256();
		expectError("credential of another phone", "device", () -> wallet.addCredential(office.issue(other.getPublic().getEncoded(), "kai")));
		expectError("claim typo", "invalid_argument", () -> wallet.nextCode("name,religon", ""));
		expectError("share lifetime", "invalid_argument", () -> wallet.shareCode("", 600));
		expectError("frame sizes", "invalid_argument", () -> kai.verifyFrame(new byte[100], 100, 100, 100));

		// A constructor made from NewWallet throws too (gobind's constructors declare no exception).
		expectError("device key that is not P-256", "device", () -> new Wallet(new DeviceSigner() {
			public byte[] publicKey() {
				return "not a key".getBytes(StandardCharsets.UTF_8);
			}

			public byte[] sign(byte[] message) {
				return new byte[0];
			}
		}));

		// The signer's own failures: a Java exception thrown in sign() comes back through Go.
		Wallet locked = new Wallet(new DeviceSigner() {
			public byte[] publicKey() {
				return device.getPublic().getEncoded();
			}

			public byte[] sign(byte[] message) throws Exception {
				throw new IllegalStateException("user authentication required");
			}
		});
		locked.addCredential(office.issue(device.getPublic().getEncoded(), "kai"));
		try {
			locked.nextCode("", "");
			check("signer exception", false, "no exception");
		} catch (Exception e) {
			String msg = String.valueOf(e.getMessage());
			check("signer exception crosses Go and back", msg.startsWith("mobile: signer:") && msg.contains("user authentication required"), msg);
		}
		Wallet wrongKey = new Wallet(new JavaSigner(device, other, "SHA256withECDSA"));
		wrongKey.addCredential(office.issue(device.getPublic().getEncoded(), "kai"));
		expectError("signature by another key", "signer", () -> wrongKey.nextCode("", ""));
		Wallet digestOnly = new Wallet(new JavaSigner(device, "SHA1withECDSA"));
		digestOnly.addCredential(office.issue(device.getPublic().getEncoded(), "kai"));
		expectError("signature over another hash", "signer", () -> digestOnly.nextCode("", ""));

		// A refusal with its reason: the issuer revokes the credential.
		kai.addStatusList(office.statusList(true));
		Result revoked = kai.verifyText(wallet.nextCode("", Mobile.AudienceKAI).getText());
		check("revoked", !revoked.getAccepted() && revoked.getReason().equals("revoked"), revoked.getReason());
		System.out.println("     revoked: " + revoked.getMessageIndonesian() + " / " + revoked.getMessageEnglish());
		expectError("older status list refused", "status_rollback", () -> kai.addStatusList(office.statusList(false)));

		System.out.println(passed + " passed, " + failed + " failed");
		System.exit(failed == 0 ? 0 : 1);
	}
}
