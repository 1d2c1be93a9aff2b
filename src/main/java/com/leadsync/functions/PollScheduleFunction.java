package com.leadsync.functions;

import com.leadsync.poll.PollScheduler;
import com.leadsync.poll.PollScheduler.ScheduleResult;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.Map;

/** Lambda {@code poll-schedule}: run by EventBridge Scheduler (PollSchedule); queues one poll per due connection. */
public class PollScheduleFunction {

    @Inject
    PollScheduler scheduler;

    @Funq("poll-schedule")
    public ScheduleResult pollSchedule(Map<String, Object> scheduleEvent) {
        return scheduler.run();
    }
}
