"""Parameter sweeps: sweep files, their designs, the engines that run them and resumable output."""
