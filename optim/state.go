package optim

import "fmt"

// State is what an optimizer carries from one step to the next: a step
// count and its vectors (momentum, Adam's moments). A run saved with it
// and the parameters continues with the bits of a run never stopped.
type State struct {
	Step    uint64
	T       int                  // Adam's bias-correction count
	Vectors map[string][]float32 // by name; absent until first used
}

// Stateful is an optimizer whose state can be saved and restored.
type Stateful interface {
	State() State
	SetState(State) error
}

// vectors copies the vectors in use (nil ones are not yet allocated).
func vectors(in map[string][]float32) map[string][]float32 {
	out := map[string][]float32{}
	for name, v := range in {
		if v != nil {
			out[name] = append([]float32(nil), v...)
		}
	}
	return out
}

// restore copies the named vector of s into *dst (nil if absent).
func restore(s State, name string, dst *[]float32) {
	if v, ok := s.Vectors[name]; ok {
		*dst = append([]float32(nil), v...)
	} else {
		*dst = nil
	}
}

// State implements Stateful.
func (o *SGD) State() State { return State{Vectors: vectors(map[string][]float32{"v": o.v})} }

// SetState implements Stateful.
func (o *SGD) SetState(s State) error { restore(s, "v", &o.v); return nil }

// State implements Stateful.
func (o *SignSGD) State() State { return State{Step: o.step} }

// SetState implements Stateful.
func (o *SignSGD) SetState(s State) error { o.step = s.Step; return nil }

// State implements Stateful.
func (o *Adam) State() State {
	return State{T: o.t, Vectors: vectors(map[string][]float32{"m": o.m, "v": o.v})}
}

// SetState implements Stateful.
func (o *Adam) SetState(s State) error {
	o.t = s.T
	restore(s, "m", &o.m)
	restore(s, "v", &o.v)
	if (o.m == nil) != (o.v == nil) {
		return fmt.Errorf("optim: Adam state with one of its two moments")
	}
	return nil
}

// State implements Stateful: the step (which names the directions), the
// momentum of ZO-SGD-MMT and ZO-Adam's moments.
func (o *ZO) State() State {
	s := State{Step: o.step, Vectors: vectors(map[string][]float32{"v": o.v})}
	if o.adam != nil {
		a := o.adam.State()
		s.T, s.Vectors["adam.m"], s.Vectors["adam.v"] = a.T, a.Vectors["m"], a.Vectors["v"]
	}
	return s
}

// SetState implements Stateful.
func (o *ZO) SetState(s State) error {
	o.step = s.Step
	restore(s, "v", &o.v)
	o.adam = nil
	if _, ok := s.Vectors["adam.m"]; ok {
		o.adam = NewAdam()
		return o.adam.SetState(State{T: s.T, Vectors: map[string][]float32{"m": s.Vectors["adam.m"], "v": s.Vectors["adam.v"]}})
	}
	return nil
}

// State implements Stateful.
func (o *Coord) State() State { return State{Step: o.step} }

// State implements Stateful.
func (o *FG) State() State { return State{Step: o.step} }

// SetState implements Stateful.
func (o *FG) SetState(s State) error { o.step = s.Step; return nil }

// SetState implements Stateful.
func (o *Coord) SetState(s State) error { o.step = s.Step; return nil }

// State implements Stateful: the step count and the diagonal h.
func (o *HiZOO) State() State {
	return State{Step: o.step, Vectors: vectors(map[string][]float32{"h": o.h})}
}

// SetState implements Stateful.
func (o *HiZOO) SetState(s State) error {
	o.step = s.Step
	restore(s, "h", &o.h)
	if o.h != nil {
		o.z = make([]float32, len(o.h))
	}
	return nil
}

// State implements Stateful: the step count and the mask (1 where kept).
func (o *SparseZO) State() State {
	var mask []float32
	for _, keep := range o.mask {
		mask = append(mask, map[bool]float32{true: 1}[keep])
	}
	return State{Step: o.step, Vectors: vectors(map[string][]float32{"mask": mask})}
}

// SetState implements Stateful.
func (o *SparseZO) SetState(s State) error {
	var mask []float32
	o.step = s.Step
	restore(s, "mask", &mask)
	o.mask = nil
	for _, v := range mask {
		o.mask = append(o.mask, v == 1)
	}
	return nil
}

// State implements Stateful: the step count (U and V follow from it).
func (o *LowRankZO) State() State { return State{Step: o.step} }

// SetState implements Stateful.
func (o *LowRankZO) SetState(s State) error { o.step = s.Step; return nil }

// State implements Stateful: the step count, θ̃ and ĝ_B(θ̃).
func (o *SVRG) State() State {
	return State{Step: o.step, Vectors: vectors(map[string][]float32{"snapshot": o.snap, "big": o.big})}
}

// SetState implements Stateful.
func (o *SVRG) SetState(s State) error {
	o.step = s.Step
	restore(s, "snapshot", &o.snap)
	restore(s, "big", &o.big)
	return nil
}
