package redisreplay_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/ikdgo/ikd/internal/redistest"
)

// exampleAddr is the address of the server the Example talks to, started
// by TestMain.
var exampleAddr string

// TestMain starts one redis-server for the Example (the tests start their
// own). Without the binary the Example is skipped and the tests skip
// themselves, each with the message redistest.MissingServer.
func TestMain(m *testing.M) {
	flag.Parse()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		fmt.Fprintln(os.Stderr, "redisreplay: skipping Example:", redistest.MissingServer)
		skip := "^Example$"
		if s := flag.Lookup("test.skip").Value.String(); s != "" {
			skip = s + "|" + skip
		}
		if err := flag.Set("test.skip", skip); err != nil {
			panic(err)
		}
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "redisreplay-example-")
	if err != nil {
		panic(err)
	}
	s, err := redistest.Launch(bin, dir)
	if err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	exampleAddr = s.Addr()
	code := m.Run()
	s.Kill()
	os.RemoveAll(dir)
	os.Exit(code)
}
