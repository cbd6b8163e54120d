//go:build !unix

package qr

import "time"

// processCPU is 0 where the process's CPU time cannot be read (js/wasm,
// Windows): the cpu-ms/op metric is then 0 and only ns/op is meaningful.
func processCPU() time.Duration { return 0 }
