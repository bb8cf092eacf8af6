package main

func runEval(e *env, args []string) error {
	return usageError("eval: not built yet")
}
