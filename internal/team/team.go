// Package team runs the parts of a parallel pass on persistent workers:
// the GEMMs, the passes over the parameters and the batch gather share
// it, so --threads bounds the goroutines a run keeps busy.
package team

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Parallel runs f(0), …, f(parts−1) at once, f(0) on the calling
// goroutine, and returns when all have. The other parts go to persistent
// workers that spin for a while after each task before they park: a
// training step hands out a few small tasks every few microseconds, and
// waking a parked thread costs tens of microseconds on a virtual machine
// (measured here: a 64×784×128 GEMM took 83 µs on two goroutines started
// per call, 73 µs on one), more than the halved task saves.
func Parallel(parts int, f func(i int)) {
	if parts <= 1 {
		if parts == 1 {
			f(0)
		}
		return
	}
	ws := team(parts - 1)
	var pending atomic.Int32
	pending.Store(int32(parts - 1))
	given := make([]*func(), len(ws))
	for i, w := range ws {
		task := func() { f(i + 1); pending.Add(-1) }
		if w.offer(&task) {
			given[i] = &task
		} else { // busy with another caller's task: do it here
			task()
		}
	}
	for i := len(ws) + 1; i < parts; i++ { // more parts than processors
		f(i)
		pending.Add(-1)
	}
	f(0)
	for spins := 1; pending.Load() != 0; spins++ {
		if spins%1024 != 0 { // poll only a shared counter most of the time
			continue
		}
		// A task no worker has taken yet (its worker is busy, or is this
		// very goroutine, nested) is taken back and run here.
		for i, w := range ws {
			if given[i] != nil && w.task.Load() == given[i] && w.task.CompareAndSwap(given[i], nil) {
				(*given[i])()
				given[i] = nil
			}
		}
		runtime.Gosched()
	}
}

// spinFor is how long an idle worker polls for its next task.
const spinFor = 100 * time.Microsecond

type worker struct {
	task   atomic.Pointer[func()]
	parked atomic.Bool
	wake   chan struct{}
}

var (
	teamMu  sync.Mutex
	workers []*worker
)

// team returns n workers (fewer if GOMAXPROCS is smaller), started on
// first use and kept for the life of the process.
func team(n int) []*worker {
	n = min(n, runtime.GOMAXPROCS(0)-1)
	if n <= 0 {
		return nil
	}
	teamMu.Lock()
	defer teamMu.Unlock()
	for len(workers) < n {
		w := &worker{wake: make(chan struct{}, 1)}
		workers = append(workers, w)
		go w.loop()
	}
	return workers[:n]
}

// offer hands f to the worker if it holds no task, waking it if it
// parked. The worker announces parking before its last look at the task,
// so either it sees f then or this sees it parked and wakes it.
func (w *worker) offer(f *func()) bool {
	if !w.task.CompareAndSwap(nil, f) {
		return false
	}
	if w.parked.Load() {
		select {
		case w.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
	return true
}

func (w *worker) loop() {
	for {
		if f := w.take(); f != nil {
			(*f)()
			continue
		}
		w.parked.Store(true)
		if f := w.task.Swap(nil); f != nil {
			w.parked.Store(false)
			(*f)()
			continue
		}
		<-w.wake
		w.parked.Store(false)
	}
}

// take polls for a task for up to spinFor: reads only (a write per poll
// would bounce the cache line the caller writes), and a yield now and
// then so the scheduler never has to preempt the loop with a signal.
func (w *worker) take() *func() {
	start := time.Now()
	for spins := 1; ; spins++ {
		if w.task.Load() != nil {
			if f := w.task.Swap(nil); f != nil {
				return f
			}
		}
		if spins%256 == 0 {
			if time.Since(start) > spinFor {
				return nil
			}
			runtime.Gosched()
		}
	}
}
