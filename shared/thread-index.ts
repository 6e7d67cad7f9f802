import type { RoomState } from './room-state.js';

/**
 * Which posts are top-level (newest first by creation time, an approved held post keeping its own time)
 * and which replies each post has (in creation order): what paging a room into threads needs. Built once
 * and then brought up to date with the posts added since (`update`), since a server's room only ever
 * appends to `postOrder` and a post never changes its parent or its creation time: a join into a room of
 * 50,000 posts then costs the posts it sends, not a pass over all of them.
 */
export class ThreadIndex {
  readonly roots: string[] = [];
  readonly children = new Map<string, string[]>();
  /** How much of `postOrder` is indexed, and its last id then (a reordered list is indexed afresh). */
  private indexed = 0;
  private lastId: string | undefined;

  constructor(state: RoomState) {
    this.update(state);
  }

  /** The index for `state` now: this one, brought up to date, or a fresh one when the order was not only appended to. */
  update(state: RoomState): ThreadIndex {
    const order = state.postOrder;
    if (order.length < this.indexed || (this.indexed > 0 && order[this.indexed - 1] !== this.lastId)) return new ThreadIndex(state);
    const added: string[] = [];
    for (let i = this.indexed; i < order.length; i++) {
      const id = order[i]!;
      const parent = state.posts[id]!.parentId;
      if (parent === null) added.push(id);
      else {
        const list = this.children.get(parent);
        if (list) list.push(id);
        else this.children.set(parent, [id]);
      }
    }
    this.indexed = order.length;
    this.lastId = order[order.length - 1];
    if (added.length > 0) this.addRoots(state, added);
    return this;
  }

  private addRoots(state: RoomState, added: string[]): void {
    const newerFirst = (a: string, b: string) => state.posts[b]!.createdAt - state.posts[a]!.createdAt || (a < b ? 1 : -1);
    // Many at once (the first build): one sort. A few: each into its place (nearly always the front).
    if (added.length > 16) {
      this.roots.push(...added);
      this.roots.sort(newerFirst);
      return;
    }
    for (const id of added) {
      let low = 0;
      let high = this.roots.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (newerFirst(this.roots[middle]!, id) < 0) low = middle + 1;
        else high = middle;
      }
      this.roots.splice(low, 0, id);
    }
  }
}
