// Command gen writes ikd's conformance vectors (package conformance) to the
// repository's testdata/vectors, or to -out:
//
//	go run ./internal/conformance/gen [-out testdata/vectors]
//
// The output is the same on every run: fixed keys, a fixed reference time
// and deterministic signatures.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ikdgo/ikd/internal/conformance"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", conformance.Dir, "directory to write the vectors to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := conformance.Write(*out); err != nil {
		return err
	}
	vs, err := conformance.Build()
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, conformance.Summary(vs))
	return nil
}
