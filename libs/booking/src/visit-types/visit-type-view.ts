import { formatMoney, MoneyDto } from '@app/common';
import { IntakeQuestion, VisitMode, VisitType } from '@app/database';

/** A visit type as anyone may see it. */
export interface VisitTypeView {
  id: string;
  doctorId: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  price: MoneyDto;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  mode: VisitMode;
  location: string | null;
  requiresApproval: boolean;
  approvalDeadlineHours: number;
  changeCutoffHours: number;
  questions: IntakeQuestion[];
  position: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toVisitTypeView(type: VisitType): VisitTypeView {
  return {
    id: type.id,
    doctorId: type.doctorId,
    name: type.name,
    description: type.description,
    durationMinutes: type.durationMinutes,
    price: formatMoney({ minor: type.priceMinor, currency: type.currency.trim() }),
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    mode: type.mode,
    location: type.location,
    requiresApproval: type.requiresApproval,
    approvalDeadlineHours: type.approvalDeadlineHours,
    changeCutoffHours: type.changeCutoffHours,
    questions: type.questions,
    position: type.position,
    active: type.active,
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  };
}
