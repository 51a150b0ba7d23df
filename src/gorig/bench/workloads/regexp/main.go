// Command regexp scans generated log text with regexp: the backtracking-free matcher's hot loops.
package main

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorigbench/internal/report"
)

func logText(lines int) string {
	var text strings.Builder
	levels := []string{"INFO", "WARN", "ERROR", "DEBUG"}
	for i := 0; i < lines; i++ {
		text.WriteString("2026-11-" + strconv.Itoa(10+i%18) + " " + levels[i%4])
		text.WriteString(" request id=" + strconv.Itoa(i*7919%100000))
		text.WriteString(" user=u" + strconv.Itoa(i%313) + "@example.org took " + strconv.Itoa(i%997) + "ms\n")
	}
	return text.String()
}

func main() {
	scale := report.Scale() // units of 1 scan of 5000 lines
	text := logText(5000)
	start := time.Now()
	pattern := regexp.MustCompile(`(?m)^\S+ (ERROR|WARN) request id=(\d+) user=(\w+)@[\w.]+ took (\d{3})ms$`)
	total := 0
	for round := 0; round < scale; round++ {
		for _, match := range pattern.FindAllStringSubmatch(text, -1) {
			id, _ := strconv.Atoi(match[2])
			total += id % 1000
		}
	}
	report.Print("regexp", start, strconv.Itoa(total))
}
