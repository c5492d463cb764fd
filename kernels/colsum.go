package kernels

// ColumnSums sets g[c] to the sum of column c of x, rows rows of len(g)
// floats: each column added up row by row from +0, so the bits are those
// of adding the rows into g one at a time (a layer's bias gradient).
func ColumnSums(g, x []float32, rows int) {
	if rows < 0 || len(x) < rows*len(g) {
		panic("kernels: ColumnSums: x shorter than rows × len(g)")
	}
	columnSums(active, g, x, rows)
}

func columnSums(p Impl, g, x []float32, rows int) {
	if len(g) == 0 {
		return
	}
	if rows == 0 {
		clear(g)
		return
	}
	done := columnSumsAsm(p, g, x, rows)
	columnSumsGeneric(g[done:], x[done:], rows, len(g))
}

// columnSumsGeneric sums the rows of x (row stride ld) into g. A sum that
// is NaN stays the NaN it is, as VADDPS keeps its first operand's (Go's +
// may take either operand's NaN: the compiler commutes it).
func columnSumsGeneric(g, x []float32, rows, ld int) {
	clear(g)
	for r := 0; r < rows; r++ {
		row := x[r*ld : r*ld+len(g)]
		for c, v := range row {
			if s := g[c]; s == s {
				g[c] = s + v
			}
		}
	}
}

// wholeRows is how many of the first rows of x (n floats, rows ld apart)
// can be read span floats on from column start without passing its end.
func wholeRows(n, start, span, ld, rows int) int {
	if n < start+span {
		return 0
	}
	return min(rows, (n-start-span)/ld+1)
}
