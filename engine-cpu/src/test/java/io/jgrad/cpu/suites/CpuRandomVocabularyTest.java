package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.RandomVocabularySuite;

class CpuRandomVocabularyTest extends RandomVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
