package com.leadsync.flow;

/**
 * One step a run went through: its {@code path}, {@code type}, and {@code result} in a word or two
 * ({@code passed}, {@code filtered}, {@code then}, {@code else}, {@code set}, {@code formatted}, {@code unchanged},
 * {@code queued}, {@code stopped}, {@code failed}); {@code detail} says more where there is more (null otherwise).
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record StepTaken(String path, String type, String result, String detail) {
}
