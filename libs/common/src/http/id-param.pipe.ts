import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/domain-error';
import { isUuid } from '../ids';

/** A path id that is not a UUID names nothing: 404, like an id that does not exist. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  constructor(private readonly resource = 'Resource') {}

  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError(this.resource);
    return value.toLowerCase();
  }
}
