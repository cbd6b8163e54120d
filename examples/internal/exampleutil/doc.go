// Package exampleutil holds the few pieces the ikd example programs share:
// atomic file writes, loading a scanner's trust list, root key and status
// lists from files, rendering a presentation as a PNG that reads back, the
// scanners' common loop, and mapping errors to exit codes.
//
// It is for the programs under examples/ only; a real wallet, issuer or
// scanner would use the library packages directly.
package exampleutil
