package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.NnVocabularySuite;

class CpuNnVocabularyTest extends NnVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
