package main

import "github.com/zofo/zofo/internal/durable"

// writeAtomic replaces path with data, durably: a reader (or a sweep
// killed mid-write, or a power cut) sees the old file or the new one,
// never part of one.
func writeAtomic(path string, data []byte) error { return durable.WriteBytes(path, data) }
