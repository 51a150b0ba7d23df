// Command goroutines passes a token around a ring of goroutines: channel operations and scheduling.
package main

import (
	"strconv"
	"time"

	"gorigbench/internal/report"
)

func main() {
	scale := report.Scale() // units of 20000 hand-offs
	const ring = 64
	start := time.Now()
	first := make(chan int)
	in := first
	for i := 0; i < ring-1; i++ {
		out := make(chan int)
		go func(in <-chan int, out chan<- int) {
			for token := range in {
				out <- token + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	total := 0
	token := 0
	for hops := 0; hops < 20000*scale; hops += ring {
		first <- token
		token = <-in
		total += token % 1000
	}
	close(first)
	report.Print("goroutines", start, strconv.Itoa(total))
}
