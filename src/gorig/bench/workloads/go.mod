module gorigbench

go 1.21
