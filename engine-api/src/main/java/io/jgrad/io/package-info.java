/**
 * Checkpoints in the safetensors format: {@link io.jgrad.io.Safetensors} reads and writes tensor maps bit for bit,
 * interchangeable with Python's {@code safetensors} and PyTorch; {@link io.jgrad.io.Checkpoint} keeps a model's and
 * an optimizer's state in one file. Writes are atomic and reads refuse truncated, corrupt or hostile files with a
 * {@link io.jgrad.io.CheckpointException} before returning anything.
 */
package io.jgrad.io;
