import type { LevelWithSilent } from 'pino';
import type { Logger } from './logger.js';

/** The logger name that stands for every logger of a worker (Storm's `ROOT`). */
export const ROOT_LOGGER = 'ROOT';

/** pino's level names, `silent` included. */
export type LevelName = LevelWithSilent;

/** Levels set at run time, by logger name: `ROOT` or a component's name. */
export type LevelOverrides = Readonly<Record<string, LevelName>>;

/**
 * The levels of one worker's loggers, changeable while it runs (Storm's dynamic log
 * level): the worker's own logger answers to `ROOT`, each task's child logger to its
 * component's name, then to `ROOT`, then to the level the worker started with. pino
 * children keep their own level, so a change is applied to every logger it touches;
 * a disabled level costs a call to a no-op, which keeps debug lines free when off.
 */
export class LogLevels {
  private readonly base: LevelWithSilent;
  private readonly byComponent = new Map<string, Logger[]>();
  private overrides: LevelOverrides = {};

  constructor(private readonly root: Logger) {
    this.base = root.level as LevelWithSilent;
  }

  /** The logger of one task: its lines carry `component` and `task`. */
  forTask(component: string, task: number): Logger {
    const child = this.root.child({ component, task });
    child.level = this.levelOf(component);
    let loggers = this.byComponent.get(component);
    if (loggers === undefined) this.byComponent.set(component, (loggers = []));
    loggers.push(child);
    return child;
  }

  /** Sets the overrides in force (all of them: a name left out goes back to its default). */
  apply(overrides: LevelOverrides): void {
    this.overrides = overrides;
    this.root.level = overrides[ROOT_LOGGER] ?? this.base;
    for (const [component, loggers] of this.byComponent) {
      const level = this.levelOf(component);
      for (const logger of loggers) logger.level = level;
    }
  }

  private levelOf(component: string): LevelWithSilent {
    return this.overrides[component] ?? this.overrides[ROOT_LOGGER] ?? this.base;
  }
}
