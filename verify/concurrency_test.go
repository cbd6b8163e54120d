package verify_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/verify"
)

// TestConcurrentVerifyWithSwaps runs verifications in parallel while the
// trust list and the status lists are replaced. Run with -race. Every
// verification must end in a clean result or a *verify.Error with a
// reason that one of the states explains: never a half update.
func TestConcurrentVerifyWithSwaps(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.AirlineCheckIn())

	const workers, perWorker = 4, 40
	texts := make([][]string, workers)
	for w := range texts {
		for range perWorker {
			texts[w] = append(texts[w], present(t, f.man, airlineReq), present(t, f.woman, airlineReq))
		}
	}
	full := f.trustList(t, 10, f.jakarta.key, f.bandung.key)
	onlyBandung := f.trustList(t, 11, f.bandung.key)

	// Pre-sign status lists: Jakarta's with the man revoked, and not.
	valid := f.jakarta.statusList(t, f.clock.Now().Add(-30*time.Minute))
	require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
	revoked := f.jakarta.statusList(t, f.clock.Now().Add(-20*time.Minute))
	require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusValid))

	stop := make(chan struct{})
	var swapper sync.WaitGroup
	swapper.Add(1)
	go func() {
		defer swapper.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			l := full
			if i%2 == 0 {
				l = onlyBandung
			}
			if err := v.SetTrustList(l); err != nil {
				t.Error(err)
				return
			}
			_ = v.AddStatusList(valid) // refused as rollback after the first newer one: fine
			_ = v.AddStatusList(revoked)
			// Yield: without it this loop, which never blocks, starves
			// the workers where goroutines are not preempted (js/wasm
			// runs them on one thread, switching only when one yields),
			// and the test never ends there.
			runtime.Gosched()
		}
	}()

	// status_unknown: after the swap to onlyBandung, Jakarta's lists are
	// dropped with the key that signed them, and stay dropped until the
	// swapper adds them again after the next swap back.
	allowed := map[verify.Reason]bool{verify.ReasonUnknownIssuer: true, verify.ReasonRevoked: true, verify.ReasonStatusUnknown: true}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*2)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, text := range texts[w] {
				res, err := v.VerifyText(text)
				if err == nil {
					if res == nil {
						errs <- assert.AnError
					}
					continue
				}
				var verr *verify.Error
				if !assertAs(err, &verr) || !allowed[verr.Reason] || res != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	swapper.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected outcome: %v", err)
	}
}

func assertAs(err error, target **verify.Error) bool {
	e, ok := err.(*verify.Error)
	if ok {
		*target = e
	}
	return ok
}
