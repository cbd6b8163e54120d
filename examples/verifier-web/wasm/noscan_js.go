//go:build js && ikdnoscan

package main

import "syscall/js"

// registerScan in the verify-only build says that there is no decoder:
// the page reads the camera with the browser's BarcodeDetector.
func registerScan(ikd js.Value) {
	ikd.Set("canScan", false)
}
