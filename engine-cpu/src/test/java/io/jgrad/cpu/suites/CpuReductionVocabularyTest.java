package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ReductionVocabularySuite;

class CpuReductionVocabularyTest extends ReductionVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
