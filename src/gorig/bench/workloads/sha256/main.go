// Command sha256 hashes a fixed stream of bytes: the integer and memory work of crypto/sha256.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorigbench/internal/report"
)

func main() {
	scale := report.Scale() // units of 4 MiB hashed
	block := make([]byte, 64<<10)
	for i := range block {
		block[i] = byte(i * 31)
	}
	start := time.Now()
	sum := sha256.Sum256(nil)
	for round := 0; round < scale; round++ {
		hash := sha256.New()
		hash.Write(sum[:])
		for i := 0; i < 64; i++ {
			hash.Write(block)
		}
		copy(sum[:], hash.Sum(nil))
	}
	report.Print("sha256", start, hex.EncodeToString(sum[:]))
}
