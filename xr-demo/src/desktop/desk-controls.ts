/**
 * Keyboard control of the emulated hands (desktop mode): W/A/S/D move the selected hand over the scene, R/F raise
 * and lower it, Space strikes the surface under it, Tab switches hands. Keys are ignored while a text field has focus.
 */
import type { HandIndex } from '../../../src/hand/hand-frame.js';
import { regionUnder, topOf, type Annotation } from '../annotation.js';
import type { EmulatedQuest } from './emulated-quest.js';

const STEP_M = 0.03;

export function attachDeskControls(quest: EmulatedQuest, annotation: Annotation, onSelect: (h: HandIndex) => void): () => void {
  let hand: HandIndex = 1;
  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const t = quest.targets[hand];
    const k = e.key.toLowerCase();
    if (k === 'tab') { hand = hand === 1 ? 0 : 1; onSelect(hand); e.preventDefault(); return; }
    if (k === 'w') t[2] -= STEP_M; else if (k === 's') t[2] += STEP_M;
    else if (k === 'a') t[0] -= STEP_M; else if (k === 'd') t[0] += STEP_M;
    else if (k === 'r') t[1] += STEP_M; else if (k === 'f') t[1] -= STEP_M;
    else if (k === ' ') {
      const r = regionUnder(annotation, t[0], t[1], t[2], 0.01, 0.05);
      if (r) void quest.strike(hand, t[0], t[2], topOf(r), { moveSec: 0.05 });
      e.preventDefault();
    } else return;
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
