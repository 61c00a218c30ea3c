package dev.reward4j.trainers.experiment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 class or method as a reward4j experiment: its test methods can take a {@link
 * RunContext} parameter, and each writes {@code result.json} with its metrics and artifacts.
 *
 * <p>The device and seed given here are defaults: the JUnit configuration parameters {@code
 * reward4j.experiment.device} and {@code reward4j.experiment.seed} override them. the experiment
 * launcher ({@code dev.reward4j.trainers.app.experiment.ExperimentLauncher}) sets them only when
 * given {@code --device} / {@code --seed}, so without those options the values here apply; {@code
 * -D...} through Maven works too. A method-level annotation overrides the class-level one.
 *
 * <p>Name experiment classes {@code ...ExperimentTest} (or anything ending in {@code Test}): Maven
 * Surefire's default includes ({@code **}{@code /*Test.java}, {@code Test*.java}, {@code
 * *Tests.java}, {@code *TestCase.java}) then run them with {@code mvn test}, with no {@code
 * <includes>} to configure.
 *
 * <pre>{@code
 * @RewardExperiment(seed = 7)
 * class MyExperimentTest {
 *   @Test
 *   void btBeatsChance(RunContext run) {
 *     double acc = ...; // train and evaluate on run.device()
 *     run.metrics().put("accuracy", acc);
 *     assertTrue(acc > 0.7);
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RewardExperimentExtension.class)
@Tag("experiment")
public @interface RewardExperiment {
    /**
     * Device name: {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (see {@code
     * DeviceSpec}).
     */
    String device() default "cpu";

    /** Seed handed to the experiment through {@link RunContext#seed()}. */
    long seed() default 42;

    /**
     * Continue in the newest previous run directory of each method instead of a fresh one (see
     * {@link RunContext#outputDir()}); the configuration parameter {@code
     * reward4j.experiment.resume} overrides it. Default false: every run starts clean.
     */
    boolean resume() default false;
}
