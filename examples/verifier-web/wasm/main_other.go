//go:build !js

package main

import (
	"fmt"
	"os"
)

// main outside the browser only says how to build the engine.
func main() {
	fmt.Fprintln(os.Stderr, "wasm: this is the verifier page's engine; build it with GOOS=js GOARCH=wasm (see examples/verifier-web)")
	os.Exit(2)
}
