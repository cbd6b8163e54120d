module github.com/ikdgo/ikd/mobile/jvmtest

go 1.26.0

require (
	github.com/ikdgo/ikd v0.0.0-00010101000000-000000000000
	golang.org/x/mobile v0.0.0-20261011034528-197770444867
)

require (
	github.com/fxamacker/cbor/v2 v2.10.0 // indirect
	github.com/go-jose/go-jose/v4 v4.1.8 // indirect
	github.com/makiuchi-d/gozxing v0.1.1 // indirect
	github.com/veraison/go-cose v1.3.0 // indirect
	github.com/x448/float16 v0.8.4 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)

replace github.com/ikdgo/ikd => ../..

tool golang.org/x/mobile/cmd/gobind
