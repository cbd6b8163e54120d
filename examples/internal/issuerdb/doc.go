// Package issuerdb is the issuing office's database, as the issuer example
// program keeps it: the status lists it has opened, every status index it
// has handed out and to whom (the holder's NIK and the device key's COSE
// kid), revocations and suspensions with their history, the batches it has
// run and how far each got, and the status lists it has published.
//
// # Interface
//
// The program talks to the database through [Store] only. [Open] returns
// the SQLite implementation (modernc.org/sqlite, pure Go, so that the
// program still cross-compiles); a national deployment puts the same
// interface on PostgreSQL (docs/issuing.md says what changes).
//
// # Crash safety
//
// An index is handed out inside the transaction that records it, and the
// primary key (list, index) forbids a second holder for the same index
// whatever the in-memory allocator believes. Every row of a batch is keyed
// by (batch, row): allocating a row again returns the entry it already has,
// so a batch killed at any point and started again keeps every index it had
// and hands out none twice. SQLite runs in WAL mode with synchronous=FULL:
// a committed allocation survives a power cut, which is what lets the
// program write a credential only after its index is committed.
//
// # Limits
//
// List sizes are 1 to 134,217,728 entries (what a status list of 2-bit
// entries carries; see credential/status). A full list rolls over to the
// next list id, of the store's list size.
package issuerdb
