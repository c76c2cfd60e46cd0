package sampler

// Close releases what the engine's source holds (on Windows, the ETW
// session behind the disk bytes); the engine must not sample afterwards.
func (e *Engine) Close() error { return CloseSource(e.src) }
