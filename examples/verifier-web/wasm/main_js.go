//go:build js

package main

import (
	"encoding/json"
	"syscall/js"
	"time"
)

// The page talks to the engine through one global object, ikd:
//
//	ikd.load(trust: Uint8Array, root: Uint8Array, status: Uint8Array[], allow: string[], seen?: string)
//	    → JSON {ok, error?, info?}; a new engine for fresh lists, which
//	    keeps the memory of accepted codes; seen (what ikd.seen returned,
//	    kept by the page in localStorage) is added to that memory
//	ikd.verify(text: string) → JSON verdict
//	ikd.seen() → the memory of accepted codes, as JSON, to store
//	ikd.scan(gray: Uint8Array, width, height) → the QR text, or "" (full build only)
//	ikd.canScan → whether this build has the QR decoder
//
// Every answer is a JSON string so that the page reads one shape whatever
// the call.

var (
	current *engine
	seen    = newSeenCodes()
)

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func answer(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return `{"ok":false,"error":"internal: ` + err.Error() + `"}`
	}
	return string(b)
}

func load(_ js.Value, args []js.Value) any {
	if len(args) != 4 && len(args) != 5 {
		return answer(map[string]any{"ok": false, "error": "load takes trust, root, status, allow and optionally seen"})
	}
	if len(args) == 5 && args[4].Type() == js.TypeString {
		seen.restore(args[4].String(), time.Now())
	}
	var status [][]byte
	for i := range args[2].Length() {
		status = append(status, bytesOf(args[2].Index(i)))
	}
	var allow []string
	for i := range args[3].Length() {
		allow = append(allow, args[3].Index(i).String())
	}
	e, err := newEngine(bytesOf(args[0]), bytesOf(args[1]), status, allow, time.Now, seen)
	if err != nil {
		return answer(map[string]any{"ok": false, "error": err.Error()})
	}
	current = e
	return answer(map[string]any{"ok": true, "info": e.info})
}

func verifyText(_ js.Value, args []js.Value) any {
	if current == nil || len(args) != 1 {
		return answer(map[string]any{"accepted": false, "error": "not loaded"})
	}
	return answer(current.verify(args[0].String()))
}

func main() {
	ikd := js.Global().Get("Object").New()
	ikd.Set("load", js.FuncOf(load))
	ikd.Set("verify", js.FuncOf(verifyText))
	ikd.Set("seen", js.FuncOf(func(js.Value, []js.Value) any { return seen.marshal(time.Now()) }))
	registerScan(ikd)
	js.Global().Set("ikd", ikd)
	if ready := js.Global().Get("ikdReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // keep the functions alive for the page's lifetime
}
