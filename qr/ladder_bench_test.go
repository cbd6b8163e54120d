package qr

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ikdgo/ikd/internal/qrbench"
)

// ladderSet is the degraded set the ladder is ordered on: every case of
// qrbench.Cases and qrbench.CameraCases for three presentation-sized codes.
func ladderSet(tb testing.TB) []gray {
	r := rand.New(rand.NewPCG(7, 7))
	var set []gray
	s := newScanner()
	for i := range 3 {
		code := mustRender(tb, presentationText(r, 200+150*i), nil)
		for ci, c := range slices.Concat(qrbench.Cases, qrbench.CameraCases) {
			img := c.Apply(code, uint64(100*i+ci))
			g, err := s.luminance(img)
			if err != nil {
				tb.Fatal(err)
			}
			set = append(set, gray{slices.Clone(g.pix), g.w, g.h})
		}
	}
	return set
}

// BenchmarkScanLadder measures each rung of the retry ladder alone over the
// degraded set: reads/op is how many of the set's images it reads, ns/op
// what it costs over all of them. Their ratio, reads per millisecond, is the
// order of ladder (docs/scanning.md).
//
//	go test ./qr -run '^$' -bench ScanLadder -count 1
func BenchmarkScanLadder(b *testing.B) {
	set := ladderSet(b)
	for i, st := range ladder {
		b.Run(st.name, func(b *testing.B) {
			s := newScanner()
			reads := 0
			for b.Loop() {
				reads = 0
				for _, g := range set {
					g = s.detectionPlane(g)
					s.frame()
					if _, ok := s.rung(i, g); ok {
						reads++
					}
				}
			}
			b.ReportMetric(float64(reads), "reads/op")
			b.ReportMetric(float64(len(set)), "images/op")
		})
	}
	// The greedy order: repeatedly the rung with the most reads per
	// millisecond among the images no earlier rung read.
	b.Run("greedy_order", func(b *testing.B) {
		s := newScanner()
		ok := make([][]bool, len(ladder))
		cost := make([][]time.Duration, len(ladder))
		for b.Loop() {
			for i := range ladder {
				ok[i], cost[i] = make([]bool, len(set)), make([]time.Duration, len(set))
				for j, g := range set {
					t0 := time.Now()
					g = s.detectionPlane(g)
					s.frame()
					_, ok[i][j] = s.rung(i, g)
					cost[i][j] = time.Since(t0)
				}
			}
		}
		read := make([]bool, len(set))
		used := make([]bool, len(ladder))
		for range ladder {
			best, bestRate, bestReads := -1, -1.0, 0
			for i := range ladder {
				if used[i] {
					continue
				}
				n, d := 0, time.Duration(0)
				for j := range set {
					if !read[j] {
						d += cost[i][j]
						if ok[i][j] {
							n++
						}
					}
				}
				if rate := float64(n) / (float64(d.Microseconds())/1000 + 1e-9); rate > bestRate {
					best, bestRate, bestReads = i, rate, n
				}
			}
			used[best] = true
			for j := range set {
				read[j] = read[j] || ok[best][j]
			}
			b.Logf("%-9s +%2d reads, %.3f reads/ms on the images still unread", ladder[best].name, bestReads, bestRate)
		}
	})
}
