package credential

// The Kartu Keluarga's enums share the shape of the KTP's (enums.go): the
// number is the wire value and, for Education and Occupation, the code
// SIAK (Sistem Informasi Administrasi Kependudukan, Dukcapil's register)
// uses; the zero value is "not given"; String is a stable key; the labels
// are as the card prints them and in English, through [Member.Display].

// Relationship is a member's "Status Hubungan Dalam Keluarga", their place
// in the household relative to its head, with the SIAK codes 1 to 11.
type Relationship uint8

const (
	// RelationshipKepalaKeluarga is "KEPALA KELUARGA": the head of the
	// family. A KK has exactly one.
	RelationshipKepalaKeluarga Relationship = 1
	// RelationshipSuami is "SUAMI": the head's husband.
	RelationshipSuami Relationship = 2
	// RelationshipIstri is "ISTRI": the head's wife.
	RelationshipIstri Relationship = 3
	// RelationshipAnak is "ANAK": a child of the head.
	RelationshipAnak Relationship = 4
	// RelationshipMenantu is "MENANTU": a child-in-law.
	RelationshipMenantu Relationship = 5
	// RelationshipCucu is "CUCU": a grandchild.
	RelationshipCucu Relationship = 6
	// RelationshipOrangTua is "ORANG TUA": a parent of the head.
	RelationshipOrangTua Relationship = 7
	// RelationshipMertua is "MERTUA": a parent-in-law.
	RelationshipMertua Relationship = 8
	// RelationshipFamiliLain is "FAMILI LAIN": another relative.
	RelationshipFamiliLain Relationship = 9
	// RelationshipPembantu is "PEMBANTU": a domestic worker living in.
	RelationshipPembantu Relationship = 10
	// RelationshipLainnya is "LAINNYA": anyone else.
	RelationshipLainnya Relationship = 11
)

var relationshipLabels = enumTable{"Relationship", []enumLabel{
	{},
	{key: "head", id: "KEPALA KELUARGA", en: "Head of the family"},
	{key: "husband", id: "SUAMI", en: "Husband"},
	{key: "wife", id: "ISTRI", en: "Wife"},
	{key: "child", id: "ANAK", en: "Child"},
	{key: "child_in_law", id: "MENANTU", en: "Child-in-law"},
	{key: "grandchild", id: "CUCU", en: "Grandchild"},
	{key: "parent", id: "ORANG TUA", en: "Parent"},
	{key: "parent_in_law", id: "MERTUA", en: "Parent-in-law"},
	{key: "other_relative", id: "FAMILI LAIN", en: "Other relative"},
	{key: "domestic_worker", id: "PEMBANTU", en: "Domestic worker"},
	{key: "other", id: "LAINNYA", en: "Other"},
}}

// String returns the stable key ("head", "husband", "wife", "child", …),
// or "Relationship(n)" for any other value.
func (r Relationship) String() string { return relationshipLabels.key(uint8(r)) }

// Education is a member's "Pendidikan": the highest level completed, with
// the SIAK codes 1 to 10 (the numbers below are the wire values).
type Education uint8

var educationLabels = enumTable{"Education", []enumLabel{
	{},
	{key: "none", id: "TIDAK/BELUM SEKOLAH", en: "No schooling or not yet in school"},
	{key: "primary_incomplete", id: "BELUM TAMAT SD/SEDERAJAT", en: "Primary school not completed"},
	{key: "primary", id: "TAMAT SD/SEDERAJAT", en: "Primary school or equivalent"},
	{key: "junior_secondary", id: "SLTP/SEDERAJAT", en: "Junior secondary school or equivalent"},
	{key: "senior_secondary", id: "SLTA/SEDERAJAT", en: "Senior secondary school or equivalent"},
	{key: "diploma_1_2", id: "DIPLOMA I/II", en: "Diploma I or II"},
	{key: "diploma_3", id: "AKADEMI/DIPLOMA III/S. MUDA", en: "Academy, Diploma III or Sarjana Muda"},
	{key: "bachelor", id: "DIPLOMA IV/STRATA I", en: "Diploma IV or bachelor's degree"},
	{key: "master", id: "STRATA II", en: "Master's degree"},
	{key: "doctorate", id: "STRATA III", en: "Doctorate"},
}}

// String returns the stable key ("none", "primary", "bachelor", …), or
// "Education(n)" for any other value.
func (e Education) String() string { return educationLabels.key(uint8(e)) }

// Occupation is a member's "Jenis Pekerjaan", numbered with the 89 SIAK
// codes: 1 BELUM/TIDAK BEKERJA, 2 MENGURUS RUMAH TANGGA, 3
// PELAJAR/MAHASISWA, 15 KARYAWAN SWASTA, 88 WIRASWASTA, 89 LAINNYA; the
// whole table is in docs/wire-format.md. A value is built from its code,
// credential.Occupation(15). The list of Permendagri 109/2019 (form
// F-1.01) has grown since; new values are appended from 90.
type Occupation uint8

var occupationLabels = enumTable{"Occupation", []enumLabel{
	{},
	{key: "not_working", id: "BELUM/TIDAK BEKERJA", en: "Not working"},
	{key: "homemaker", id: "MENGURUS RUMAH TANGGA", en: "Homemaker"},
	{key: "student", id: "PELAJAR/MAHASISWA", en: "Student"},
	{key: "retired", id: "PENSIUNAN", en: "Retired"},
	{key: "civil_servant", id: "PEGAWAI NEGERI SIPIL", en: "Civil servant"},
	{key: "armed_forces", id: "TENTARA NASIONAL INDONESIA", en: "Armed forces (TNI)"},
	{key: "police", id: "KEPOLISIAN RI", en: "Police (POLRI)"},
	{key: "trade", id: "PERDAGANGAN", en: "Trade"},
	{key: "farmer", id: "PETANI/PEKEBUN", en: "Farmer or grower"},
	{key: "livestock_farmer", id: "PETERNAK", en: "Livestock farmer"},
	{key: "fisher", id: "NELAYAN/PERIKANAN", en: "Fisher"},
	{key: "industry", id: "INDUSTRI", en: "Industry"},
	{key: "construction", id: "KONSTRUKSI", en: "Construction"},
	{key: "transport", id: "TRANSPORTASI", en: "Transport"},
	{key: "private_employee", id: "KARYAWAN SWASTA", en: "Private-sector employee"},
	{key: "soe_employee", id: "KARYAWAN BUMN", en: "State-owned enterprise employee"},
	{key: "rsoe_employee", id: "KARYAWAN BUMD", en: "Regional state-owned enterprise employee"},
	{key: "honorary_employee", id: "KARYAWAN HONORER", en: "Contract (honorary) employee"},
	{key: "day_labourer", id: "BURUH HARIAN LEPAS", en: "Casual day labourer"},
	{key: "farm_labourer", id: "BURUH TANI/PERKEBUNAN", en: "Farm or plantation labourer"},
	{key: "fishery_labourer", id: "BURUH NELAYAN/PERIKANAN", en: "Fishery labourer"},
	{key: "livestock_labourer", id: "BURUH PETERNAKAN", en: "Livestock labourer"},
	{key: "domestic_worker", id: "PEMBANTU RUMAH TANGGA", en: "Domestic worker"},
	{key: "barber", id: "TUKANG CUKUR", en: "Barber"},
	{key: "electrician", id: "TUKANG LISTRIK", en: "Electrician"},
	{key: "mason", id: "TUKANG BATU", en: "Mason"},
	{key: "carpenter", id: "TUKANG KAYU", en: "Carpenter"},
	{key: "cobbler", id: "TUKANG SOL SEPATU", en: "Cobbler"},
	{key: "welder_smith", id: "TUKANG LAS/PANDAI BESI", en: "Welder or blacksmith"},
	{key: "tailor", id: "TUKANG JAHIT", en: "Tailor"},
	{key: "dental_technician", id: "TUKANG GIGI", en: "Dental technician"},
	{key: "makeup_artist", id: "PENATA RIAS", en: "Make-up artist"},
	{key: "costume_stylist", id: "PENATA BUSANA", en: "Costume stylist"},
	{key: "hairdresser", id: "PENATA RAMBUT", en: "Hairdresser"},
	{key: "mechanic", id: "MEKANIK", en: "Mechanic"},
	{key: "artist", id: "SENIMAN", en: "Artist"},
	{key: "traditional_healer", id: "TABIB", en: "Traditional healer"},
	{key: "traditional_midwife", id: "PARAJI", en: "Traditional birth attendant"},
	{key: "fashion_designer", id: "PERANCANG BUSANA", en: "Fashion designer"},
	{key: "translator", id: "PENTERJEMAH", en: "Translator"},
	{key: "imam", id: "IMAM MASJID", en: "Mosque imam"},
	{key: "minister", id: "PENDETA", en: "Protestant minister"},
	{key: "priest", id: "PASTOR", en: "Catholic priest"},
	{key: "journalist", id: "WARTAWAN", en: "Journalist"},
	{key: "preacher", id: "USTADZ/MUBALIGH", en: "Islamic teacher or preacher"},
	{key: "cook", id: "JURU MASAK", en: "Cook"},
	{key: "event_promoter", id: "PROMOTOR ACARA", en: "Event promoter"},
	{key: "member_dpr", id: "ANGGOTA DPR-RI", en: "Member of the House of Representatives (DPR)"},
	{key: "member_dpd", id: "ANGGOTA DPD", en: "Member of the Regional Representative Council (DPD)"},
	{key: "member_bpk", id: "ANGGOTA BPK", en: "Member of the Audit Board (BPK)"},
	{key: "president", id: "PRESIDEN", en: "President"},
	{key: "vice_president", id: "WAKIL PRESIDEN", en: "Vice President"},
	{key: "constitutional_judge", id: "ANGGOTA MAHKAMAH KONSTITUSI", en: "Constitutional Court justice"},
	{key: "cabinet_member", id: "ANGGOTA KABINET/KEMENTERIAN", en: "Cabinet member"},
	{key: "ambassador", id: "DUTA BESAR", en: "Ambassador"},
	{key: "governor", id: "GUBERNUR", en: "Governor"},
	{key: "vice_governor", id: "WAKIL GUBERNUR", en: "Vice governor"},
	{key: "regent", id: "BUPATI", en: "Regent"},
	{key: "vice_regent", id: "WAKIL BUPATI", en: "Vice regent"},
	{key: "mayor", id: "WALIKOTA", en: "Mayor"},
	{key: "vice_mayor", id: "WAKIL WALIKOTA", en: "Vice mayor"},
	{key: "member_dprd_province", id: "ANGGOTA DPRD PROVINSI", en: "Member of a provincial council (DPRD)"},
	{key: "member_dprd_regency", id: "ANGGOTA DPRD KABUPATEN/KOTA", en: "Member of a regency or city council (DPRD)"},
	{key: "lecturer", id: "DOSEN", en: "Lecturer"},
	{key: "teacher", id: "GURU", en: "Teacher"},
	{key: "pilot", id: "PILOT", en: "Pilot"},
	{key: "lawyer", id: "PENGACARA", en: "Lawyer"},
	{key: "notary", id: "NOTARIS", en: "Notary"},
	{key: "architect", id: "ARSITEK", en: "Architect"},
	{key: "accountant", id: "AKUNTAN", en: "Accountant"},
	{key: "consultant", id: "KONSULTAN", en: "Consultant"},
	{key: "doctor", id: "DOKTER", en: "Doctor"},
	{key: "midwife", id: "BIDAN", en: "Midwife"},
	{key: "nurse", id: "PERAWAT", en: "Nurse"},
	{key: "pharmacist", id: "APOTEKER", en: "Pharmacist"},
	{key: "psychiatrist_psychologist", id: "PSIKIATER/PSIKOLOG", en: "Psychiatrist or psychologist"},
	{key: "tv_presenter", id: "PENYIAR TELEVISI", en: "Television presenter"},
	{key: "radio_presenter", id: "PENYIAR RADIO", en: "Radio presenter"},
	{key: "sailor", id: "PELAUT", en: "Sailor"},
	{key: "researcher", id: "PENELITI", en: "Researcher"},
	{key: "driver", id: "SOPIR", en: "Driver"},
	{key: "broker", id: "PIALANG", en: "Broker"},
	{key: "paranormal", id: "PARANORMAL", en: "Paranormal"},
	{key: "trader", id: "PEDAGANG", en: "Trader"},
	{key: "village_official", id: "PERANGKAT DESA", en: "Village official"},
	{key: "village_head", id: "KEPALA DESA", en: "Village head"},
	{key: "nun", id: "BIARAWATI", en: "Nun"},
	{key: "self_employed", id: "WIRASWASTA", en: "Self-employed"},
	{key: "other", id: "LAINNYA", en: "Other"},
}}

// String returns the stable key ("private_employee", "student", …), or
// "Occupation(n)" for any other value.
func (o Occupation) String() string { return occupationLabels.key(uint8(o)) }
