package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ElementwiseVocabularySuite;

class CpuElementwiseVocabularyTest extends ElementwiseVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
