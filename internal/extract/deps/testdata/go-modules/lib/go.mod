module example.com/fixture/lib

go 1.22
