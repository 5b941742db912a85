package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ScheduleVocabularySuite;

class CpuScheduleVocabularyTest extends ScheduleVocabularySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
