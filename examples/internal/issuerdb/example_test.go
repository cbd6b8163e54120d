package issuerdb_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
)

// An issuing office hands out status indices for a batch, resumes it, and
// revokes a lost phone by its holder's NIK.
func Example() {
	dir, _ := os.MkdirTemp("", "issuerdb")
	defer os.RemoveAll(dir)
	db, err := issuerdb.Create(filepath.Join(dir, "issuer.db"), "3273", 1<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if _, err := db.StartBatch(issuerdb.Batch{Name: "2026-11-23", Out: "issued.jsonl", Rows: 1, Signer: []byte{0x5a}, IssuedAt: at, Valid: 365 * 24 * time.Hour, Profiles: "full"}); err != nil {
		fmt.Println(err)
		return
	}
	siti := issuerdb.Holder{NIK: "3273014503900001", Device: []byte{0xd1}, Kind: "ktp", Row: 0}
	first, _ := db.Allocate("2026-11-23", []issuerdb.Holder{siti}, at)
	again, _ := db.Allocate("2026-11-23", []issuerdb.Holder{siti}, at) // after a crash
	fmt.Println("same index after resuming:", first[0].Ref == again[0].Ref)

	found, _ := db.Find(issuerdb.Query{NIK: "3273014503900001"})
	if err := db.SetStatus([]credential.StatusRef{found[0].Ref}, status.StatusRevoked, at, "phone lost"); err != nil {
		fmt.Println(err)
	}
	lists, _ := db.Lists()
	fmt.Printf("list %d: %d used, %d revoked\n", lists[0].ID, lists[0].Used, lists[0].Revoked)
	// Output:
	// same index after resuming: true
	// list 1: 1 used, 1 revoked
}
