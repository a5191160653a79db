// Command hello prints a greeting built by the greet package.
package main

import (
	"fmt"
	"os"

	"example.com/hello/greet"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Println(greet.Greeting(name))
}
