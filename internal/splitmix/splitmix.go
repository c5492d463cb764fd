// Package splitmix is Steele, Lea and Flood's SplitMix64 generator: a
// fixed, tiny stream that seeds keys and shuffles identically on every Go
// release and architecture.
package splitmix

// Next advances the state s and returns the next output.
func Next(s *uint64) uint64 {
	*s += 0x9e3779b97f4a7c15
	z := *s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
