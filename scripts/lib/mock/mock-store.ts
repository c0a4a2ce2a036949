// The mock's data: users, shots (with their attachments), projects and likes, and how each is
// rendered in Dribbble's documented shape (DOCUMENTED_EXAMPLES). Public for tests: a test reads
// `mock.store` to find an id or check what an upload left behind.
import { DOCUMENTED_EXAMPLES } from '../dribbble/api-v2.js';
import { MOCK_DEMO_USER } from './mock-defaults.js';

/** A user as GET /user answers it (DOCUMENTED_EXAMPLES.user's fields). */
export interface UserProfile {
  id: number;
  name: string;
  login: string;
  html_url: string;
  avatar_url: string;
  bio: string;
  location: string;
  links: Record<string, string>;
  can_upload_shot: boolean;
  pro: boolean;
  followers_count: number;
  created_at: string;
  type: string;
  teams: ReadonlyArray<{ id: number } & Record<string, unknown>>;
}

/** A second user, owner of a shot and a project the demo user must not see or change. */
export const MOCK_OTHER_USER: UserProfile = {
  id: 2,
  name: 'Other Designer',
  login: 'other-designer',
  html_url: 'https://dribbble.com/other-designer',
  avatar_url: 'https://cdn.dribbble.com/users/2/avatars/normal/other.png',
  bio: 'Owns a shot and a project the demo user cannot touch.',
  location: 'Loopback',
  links: { web: 'https://example.org' },
  can_upload_shot: true,
  pro: false,
  followers_count: 7,
  created_at: '2021-01-01T00:00:00Z',
  type: 'Player',
  teams: [],
};

export interface StoredAttachment {
  id: number;
  shotId: number;
  size: number;
  contentType: string;
  fileName: string;
  createdAt: number;
  /** Answers as existing from this time on (202 now, processed later). */
  readyAt: number;
}

export interface StoredShot {
  id: number;
  userId: number;
  title: string;
  description: string | null;
  tags: string[];
  width: number;
  height: number;
  imageType: string;
  teamId: number | null;
  lowProfile: boolean;
  scheduledFor: number | null;
  reboundSourceId: number | null;
  createdAt: number;
  updatedAt: number;
  /** 404 until this time: the upload is being processed. */
  readyAt: number;
  projectIds: number[];
  attachments: StoredAttachment[];
}

export interface StoredProject {
  id: number;
  userId: number;
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewShot = Pick<StoredShot, 'title' | 'description' | 'tags' | 'width' | 'height' | 'imageType'> &
  Partial<Pick<StoredShot, 'teamId' | 'lowProfile' | 'scheduledFor' | 'reboundSourceId' | 'readyAt' | 'createdAt'>>;

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'shot';
const extension = (type: string) => (type === 'jpg' ? 'jpg' : type);

export interface StoreOptions {
  /** How many processed shots the demo user has at start (default 3). */
  seedShots?: number;
}

export class MockStore {
  readonly users: UserProfile[] = [MOCK_DEMO_USER, MOCK_OTHER_USER];
  readonly shots = new Map<number, StoredShot>();
  readonly projects = new Map<number, StoredProject>();
  /** Shot ids each user liked. */
  readonly likes = new Map<number, number[]>();
  private next = { shot: 1, project: 1, attachment: 1 };

  constructor(private readonly now: () => number, options: StoreOptions = {}) {
    const start = now();
    // The other user's things first, so their ids are stable (1) whatever is seeded after.
    const other = this.addShot(MOCK_OTHER_USER.id, { title: 'Not yours', description: null, tags: ['private'], width: 400, height: 300, imageType: 'png', createdAt: start - 86_400_000 });
    this.addProject(MOCK_OTHER_USER.id, 'Not your project', null);
    const demoProject = this.addProject(MOCK_DEMO_USER.id, 'Demo project', '<p>Shots made for the bundled mock.</p>');
    this.likes.set(MOCK_DEMO_USER.id, [other.id]);
    const count = options.seedShots ?? 3;
    for (let i = count; i >= 1; i--) {
      const shot = this.addShot(MOCK_DEMO_USER.id, { title: `Demo shot ${i}`, description: `<p>Seeded shot number ${i}.</p>`, tags: ['demo'], width: 800, height: 600, imageType: 'png', createdAt: start - i * 60_000 });
      if (i === 1) shot.projectIds.push(demoProject.id);
    }
  }

  user(id: number): UserProfile | undefined {
    return this.users.find((u) => u.id === id);
  }

  addShot(userId: number, shot: NewShot): StoredShot {
    const createdAt = shot.createdAt ?? this.now();
    const stored: StoredShot = {
      teamId: null,
      lowProfile: false,
      scheduledFor: null,
      reboundSourceId: null,
      readyAt: createdAt,
      ...shot,
      id: this.next.shot++,
      userId,
      createdAt,
      updatedAt: createdAt,
      projectIds: [],
      attachments: [],
    };
    this.shots.set(stored.id, stored);
    return stored;
  }

  addAttachment(shot: StoredShot, file: { size: number; contentType: string; fileName: string }, readyAt: number): StoredAttachment {
    const attachment = { ...file, id: this.next.attachment++, shotId: shot.id, createdAt: this.now(), readyAt };
    shot.attachments.push(attachment);
    return attachment;
  }

  addProject(userId: number, name: string, description: string | null): StoredProject {
    const t = this.now();
    const project = { id: this.next.project++, userId, name, description, createdAt: t, updatedAt: t };
    this.projects.set(project.id, project);
    return project;
  }

  deleteProject(id: number): void {
    this.projects.delete(id);
    // "Its shots stay": only the link goes.
    for (const shot of this.shots.values()) shot.projectIds = shot.projectIds.filter((p) => p !== id);
  }

  isReady(thing: { readyAt: number }): boolean {
    return thing.readyAt <= this.now();
  }

  /** A processed shot by id, or undefined (absent, or still processing: Dribbble answers 404 for both). */
  readyShot(id: number): StoredShot | undefined {
    const shot = this.shots.get(id);
    return shot && this.isReady(shot) ? shot : undefined;
  }

  /** Processed shots, newest first. */
  listShots(filter: (shot: StoredShot) => boolean): StoredShot[] {
    return [...this.shots.values()].filter((s) => this.isReady(s) && filter(s)).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  listProjects(userId: number): StoredProject[] {
    return [...this.projects.values()].filter((p) => p.userId === userId).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  attachmentJson(a: StoredAttachment, userId: number): Record<keyof typeof DOCUMENTED_EXAMPLES.attachment, unknown> {
    const base = `https://cdn.dribbble.com/users/${userId}/screenshots/${a.shotId}/attachments/${a.id}`;
    return { id: a.id, url: `${base}/${a.fileName}`, thumbnail_url: `${base}/thumbnail/${a.fileName}`, size: a.size, content_type: a.contentType, created_at: iso(a.createdAt) };
  }

  projectJson(p: StoredProject): Record<string, unknown> {
    const shotsCount = [...this.shots.values()].filter((s) => s.projectIds.includes(p.id)).length;
    return { id: p.id, name: p.name, description: p.description, shots_count: shotsCount, created_at: iso(p.createdAt), updated_at: iso(p.updatedAt) };
  }

  /** The shot in the order and shape of Dribbble's documented example. */
  shotJson(s: StoredShot): Record<string, unknown> {
    const base = `https://cdn.dribbble.com/users/${s.userId}/screenshots/${s.id}/${slug(s.title)}`;
    const ext = extension(s.imageType);
    const hidpi = s.width === 800;
    const team = s.teamId === null ? null : (this.user(s.userId)?.teams.find((t) => t.id === s.teamId) ?? null);
    return {
      id: s.id,
      title: s.title,
      description: s.description,
      width: s.width,
      height: s.height,
      images: { hidpi: hidpi ? `${base}.${ext}` : null, normal: hidpi ? `${base}_1x.${ext}` : `${base}.${ext}`, teaser: `${base}_teaser.${ext}` },
      published_at: iso(s.scheduledFor ?? s.createdAt),
      updated_at: iso(s.updatedAt),
      html_url: `https://dribbble.com/shots/${s.id}-${slug(s.title)}`,
      animated: s.imageType === 'gif',
      tags: s.tags,
      attachments: s.attachments.filter((a) => this.isReady(a)).map((a) => this.attachmentJson(a, s.userId)),
      projects: s.projectIds.map((id) => this.projects.get(id)).filter((p) => p !== undefined).map((p) => this.projectJson(p)),
      team,
      video: null,
      low_profile: s.lowProfile,
    };
  }

  touch(thing: { updatedAt: number }): void {
    thing.updatedAt = this.now();
  }
}
