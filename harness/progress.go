package main

import (
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
)

// isTerminal reports whether w is an interactive terminal: progress bars
// there, plain log lines elsewhere (files, pipes, CI).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// epochBar shows a live bar per epoch with the running loss and an ETA.
type epochBar struct {
	w     io.Writer
	tag   string
	bar   *progressbar.ProgressBar
	epoch int
}

func (b *epochBar) step(epoch, step, steps int, loss float32) {
	if b.bar == nil || epoch != b.epoch {
		b.epoch = epoch
		b.bar = progressbar.NewOptions(steps, progressbar.OptionSetWriter(b.w), progressbar.OptionSetWidth(30),
			progressbar.OptionSetPredictTime(true), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100e6))
	}
	b.bar.Describe(fmt.Sprintf("%s epoch %d loss %.4f", b.tag, epoch, loss))
	b.bar.Set(step)
	if step == steps {
		b.bar.Finish()
	}
}
