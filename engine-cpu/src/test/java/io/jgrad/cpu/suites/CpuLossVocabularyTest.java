package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.LossVocabularySuite;

class CpuLossVocabularyTest extends LossVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
