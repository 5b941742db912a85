package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OptimVocabularySuite;

class CpuOptimVocabularyTest extends OptimVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
