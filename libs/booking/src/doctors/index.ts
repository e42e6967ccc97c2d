export * from './doctor-directory.service';
export * from './doctor-profile.service';
export * from './doctor-view';
export * from './specialty.service';
