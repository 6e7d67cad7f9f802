import type { ComputedRef, InjectionKey } from 'vue';
import type { ReplayTree } from '../../logic/replay-tree.js';

/** The replayed moment's thread tree, for every post of it to find its replies in. */
export const REPLAY_TREE: InjectionKey<ComputedRef<ReplayTree>> = Symbol('replay-tree');
