/**
 * Owner lists: the agents (by number) a trigger belongs to. Scoring walks them per hit;
 * explanations search them, so they are kept in ascending order.
 */

/** A list of owner lists read by index (an array, or the keyword stage's packed views). */
export interface OwnerLists {
  readonly length: number;
  at(index: number): readonly number[] | undefined;
}

/** The list itself when already ascending (most are: agents are added in id order), else a sorted copy. */
export function sortedOwners(owners: readonly number[]): readonly number[] {
  for (let i = 1; i < owners.length; i++) if (owners[i]! < owners[i - 1]!) return [...owners].sort((a, b) => a - b);
  return owners;
}

/** `lists` with each list in ascending order, sorted when a list is first read (a route reads few). */
export class SortedLists implements OwnerLists {
  private readonly sorted: Array<readonly number[] | undefined>;
  constructor(private readonly lists: OwnerLists) {
    this.sorted = new Array<readonly number[] | undefined>(lists.length);
  }

  get length(): number {
    return this.lists.length;
  }

  at(index: number): readonly number[] | undefined {
    const known = this.sorted[index];
    if (known !== undefined) return known;
    const list = this.lists.at(index);
    if (list === undefined) return undefined;
    return (this.sorted[index] = sortedOwners(list));
  }
}

/** Whether `agent` is in an ascending owner list (binary search: lists run to thousands of agents). */
export function isOwner(owners: ArrayLike<number>, agent: number): boolean {
  let low = 0;
  let high = owners.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const owner = owners[middle]!;
    if (owner === agent) return true;
    if (owner < agent) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** How many of the lists hold `agent`. */
export function countOwned(lists: OwnerLists, agent: number): number {
  let n = 0;
  for (let i = 0; i < lists.length; i++) if (lists.at(i)!.includes(agent)) n++;
  return n;
}
