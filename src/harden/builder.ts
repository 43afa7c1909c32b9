import { joinPointer } from '../core/pointer.js';
import { clone, deepEqual, getAt, setAt, type PlainObject } from './objects.js';

/** A change or blocker while planning, with a pointer relative to the evaluation pod spec. */
export interface DraftChange {
  pointer: string;
  value: unknown;
  check: string;
  reason: string;
}

export interface DraftNote {
  pointer: string;
  check: string;
  reason: string;
}

/**
 * Collects a plan over a working copy of the pod spec, so each rule sees what earlier rules set.
 * Setting a value that is already there is not a change: planning twice gives an empty plan.
 */
export class PlanBuilder {
  readonly working: PlainObject;
  readonly changes: DraftChange[] = [];
  readonly blockers: DraftNote[] = [];
  readonly skipped: DraftNote[] = [];

  constructor(spec: PlainObject) {
    this.working = clone(spec);
  }

  get(pointer: string): unknown {
    return getAt(this.working, pointer);
  }

  set(pointer: string, value: unknown, check: string, reason: string): void {
    if (deepEqual(this.get(pointer), value)) return;
    setAt(this.working, pointer, clone(value));
    this.changes.push({ pointer, value, check, reason });
  }

  /** Add an item at the end of a list, creating the list when it is missing. */
  append(listPointer: string, value: unknown, check: string, reason: string): void {
    const list = this.get(listPointer);
    if (Array.isArray(list)) this.set(joinPointer(listPointer, list.length), value, check, reason);
    else this.set(listPointer, [value], check, reason);
  }

  block(pointer: string, check: string, reason: string): void {
    if (this.blockers.some((b) => b.pointer === pointer && b.check === check)) return;
    this.blockers.push({ pointer, check, reason });
  }

  skip(pointer: string, check: string, reason: string): void {
    this.skipped.push({ pointer, check, reason });
  }

  blocked(check: string): boolean {
    return this.blockers.some((b) => b.check === check);
  }
}
