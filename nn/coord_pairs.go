package nn

import "math"

// pairTable numbers the distinct nonzero (row, value) pairs of one layer's
// input in a batch. Input index In is the bias, 1 in every row.
type pairTable struct {
	rows int
	row  []int32   // per pair
	val  []float32 // per pair
	id   []int32   // [i·rows + r]: the pair of input i in row r, −1 where it is 0
	seen valueIndex
}

// build numbers the pairs of x (rows × in).
func (t *pairTable) build(x []float32, rows, in int) {
	t.rows = rows
	t.row, t.val = t.row[:0], t.val[:0]
	if need := (in + 1) * rows; cap(t.id) < need {
		t.id = make([]int32, need)
	} else {
		t.id = t.id[:need]
	}
	for r := range rows {
		t.seen.reset(in + 1)
		for i := 0; i <= in; i++ {
			v := float32(1)
			if i < in {
				v = x[r*in+i]
			}
			if v == 0 {
				t.id[i*rows+r] = -1
				continue
			}
			id, fresh := t.seen.lookup(math.Float32bits(v), int32(len(t.row)))
			if fresh {
				t.row, t.val = append(t.row, int32(r)), append(t.val, v)
			}
			t.id[i*rows+r] = id
		}
	}
}

// inputs is the pairs of input i, one per row (−1: no change there).
func (t *pairTable) inputs(i int) []int32 { return t.id[i*t.rows : (i+1)*t.rows] }

// valueIndex maps float32 bit patterns to ids: an open-addressing table,
// emptied in O(1) by moving to a new stamp.
type valueIndex struct {
	keys  []uint32
	ids   []int32
	stamp []uint32
	now   uint32
	shift uint
}

// reset empties the table and sizes it for up to n keys.
func (h *valueIndex) reset(n int) {
	size, shift := 1, uint(32)
	for size < 2*n {
		size, shift = size<<1, shift-1
	}
	if len(h.keys) != size || h.now == math.MaxUint32 {
		h.keys, h.ids, h.stamp, h.now = make([]uint32, size), make([]int32, size), make([]uint32, size), 0
	}
	h.now++
	h.shift = shift
}

// lookup returns key's id, adding it with id if it is new (fresh).
func (h *valueIndex) lookup(key uint32, id int32) (got int32, fresh bool) {
	mask := uint32(len(h.keys) - 1)
	for s := (key * 0x9e3779b1) >> h.shift; ; s = (s + 1) & mask {
		switch {
		case h.stamp[s] != h.now:
			h.stamp[s], h.keys[s], h.ids[s] = h.now, key, id
			return id, true
		case h.keys[s] == key:
			return h.ids[s], false
		}
	}
}
