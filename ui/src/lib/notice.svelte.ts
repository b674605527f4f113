// The one notification banner at the top of the page: what just happened (a record deleted,
// a change undone) and, where it can be undone, an Undo button.

export type Notice = { message: string; undoable: boolean; tone: "info" | "success" };

export const notice = $state<{ current: Notice | null; seq: number }>({ current: null, seq: 0 });

export function announce(message: string, undoable = false, tone: "info" | "success" = "success"): void {
  notice.current = { message, undoable, tone };
  notice.seq += 1;
}

export function clearNotice(): void {
  notice.current = null;
}
