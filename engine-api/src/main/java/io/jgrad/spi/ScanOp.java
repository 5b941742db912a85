package io.jgrad.spi;

/**
 * Inclusive scans along one axis: out[i] = in[0] op in[1] op ... op in[i] (torch.cumsum, torch.cumprod,
 * torch.logcumsumexp). SUM and PROD take float32, float64 and int64; LOGSUMEXP (log(exp(a) + exp(b)), computed
 * stably) takes the floating dtypes.
 */
public enum ScanOp {
    SUM, PROD, LOGSUMEXP
}
