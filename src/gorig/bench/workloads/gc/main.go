// Command gc builds and walks many short-lived binary trees: allocation and the garbage collector.
package main

import (
	"strconv"
	"time"

	"gorigbench/internal/report"
)

type node struct{ left, right *node }

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{build(depth - 1), build(depth - 1)}
}

func (n *node) count() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.count() + n.right.count()
}

func main() {
	scale := report.Scale() // units of 8 trees of depth 14
	start := time.Now()
	longLived := build(12)
	total := 0
	for i := 0; i < 8*scale; i++ {
		total += build(14).count()
	}
	total += longLived.count()
	report.Print("gc", start, strconv.Itoa(total))
}
