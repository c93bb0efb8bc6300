"""One module per area of the sandbox: the handlers of the operations that area serves."""
