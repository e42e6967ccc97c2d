import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404, like an id that does not exist. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  constructor(private readonly resource = 'Resource') {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundError(this.resource);
    return value.toLowerCase();
  }
}
