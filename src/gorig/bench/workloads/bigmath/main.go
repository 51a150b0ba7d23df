// Command bigmath computes digits of pi with math/big: multi-word arithmetic and division.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"time"

	"gorigbench/internal/report"
)

func main() {
	scale := report.Scale() // units of one computation of 4000 digits of pi
	start := time.Now()
	digits := ""
	for round := 0; round < scale; round++ {
		digits = piDigits(4000)
	}
	sum := sha256.Sum256([]byte(digits))
	report.Print("bigmath", start, hex.EncodeToString(sum[:8]))
}

// piDigits returns the first n decimal digits of pi by Machin's formula,
// pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with ten guard digits.
func piDigits(n int) string {
	unity := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n+10)), nil)
	pi := new(big.Int).Mul(big.NewInt(16), arctanInverse(5, unity))
	pi.Sub(pi, new(big.Int).Mul(big.NewInt(4), arctanInverse(239, unity)))
	pi.Quo(pi, new(big.Int).Exp(big.NewInt(10), big.NewInt(10), nil))
	return pi.String()
}

// arctanInverse returns atan(1/x) * unity by its Taylor series.
func arctanInverse(x int64, unity *big.Int) *big.Int {
	sum := new(big.Int)
	power := new(big.Int).Quo(unity, big.NewInt(x))
	x2 := big.NewInt(x * x)
	term := new(big.Int)
	for k := int64(0); power.Sign() != 0; k++ {
		term.Quo(power, big.NewInt(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, term)
		} else {
			sum.Sub(sum, term)
		}
		power.Quo(power, x2)
	}
	return sum
}
